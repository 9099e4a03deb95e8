"""Access: the one policy (policies.py) that decides who may do what with a cart."""
