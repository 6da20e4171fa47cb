"""canbo's own date formats (``settings.FORMAT_MODULE_PATH``), read before Django's."""
