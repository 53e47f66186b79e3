"""The lessons, the report notebook and the workshop's pages (see loyalty_lessons/resources.py).

This folder is installed inside the package as ``loyalty_lessons.notebooks``, so that an
installed wheel can run the report and the workshop and copy the lessons out.
"""
