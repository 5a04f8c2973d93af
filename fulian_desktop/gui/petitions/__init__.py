"""信访: the intake form and the petition's page."""
