"""Changes to a contract: the change model, the rules that classify each change, and whom it reaches."""
