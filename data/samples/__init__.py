"""The bundled sample business (see README.md beside this file)."""
