"""The coordinators' side of groups in the Wagtail admin: viewsets, forms, dashboard panels and
admin views, one module per subject. `groups/wagtail_hooks.py` only registers what is here."""
