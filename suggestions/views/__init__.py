"""The pages outside the admin, one module each: ``home`` (the role's landing page),
``tasks`` (/tasks/, the handling units and leaders), ``status`` (/my/, the deputies),
``documents`` (the reply documents, checked per user) and ``notifications``.

Thin views: a role mixin, a form, one selector or one action (``suggestions.actions``).
"""
