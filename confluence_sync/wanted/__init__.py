"""The wiki the config asks for: built from the config, read by the planner and the applier."""
