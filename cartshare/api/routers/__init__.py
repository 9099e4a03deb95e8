"""One router per resource; `cartshare.api.api` mounts them."""
