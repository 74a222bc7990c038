"""The plan: change types, the planner and its page rules; pure, no I/O."""
