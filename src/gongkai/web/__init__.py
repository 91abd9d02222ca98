"""The disclosure office's system: a Django project over the gongkai core.

Apps are split by domain (``bodies``, ``audit``, ``clock``, ``applications``, ``appeals``; plus ``catalog``,
``portal`` and ``reports``). Each app keeps writes in ``services.py``, reads in ``selectors.py`` and access rules in
``permissions.py``; views and the API only validate, call a service and render. See ``README-dev.md``.
"""
