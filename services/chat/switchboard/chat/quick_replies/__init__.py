"""Quick replies (canned responses): saved per account, seen by the account, teams or their
author, found by the "/" search, sent with their placeholders filled for a conversation."""
