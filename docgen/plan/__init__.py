"""Planning: validate against the pack, keep, group, plan and the documents' view models."""
