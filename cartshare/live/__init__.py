"""Live events (spec §13, API.md "Live events"): every open view of a cart follows its changes.

The cart's activity log (`cartshare.activity`) is the event log: every service that changes a
cart records a row inside its transaction, so an event exists exactly when the change
committed, and its id grows per cart. After commit the service's `activity_record` wakes the
cart's subscribers through `bus` (PostgreSQL LISTEN/NOTIFY, Redis pub/sub, or in-process);
each stream (`streams`) then reads what is new and decides, through the policy, what its caller
may see. A wake-up carries only the cart id: nothing is lost when one is missed (each stream
also looks by itself at every heartbeat), and nothing is ever too big for NOTIFY."""
