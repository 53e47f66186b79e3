"""Workshop mode: the lesson explorers as a browser dashboard, on the sample or a client's data.

``python -m loyalty_lessons.workshop`` (or ``make workshop``) serves the notebooks of
``notebooks/workshop/`` with Voilà on 127.0.0.1: an index page with an upload form, one
page per subject (quality gap, customer types, 80/20, loyalty value, monitoring, customer
base) and the scorecard together, in English, French, Italian or Russian. With ``--share`` a
room joins from its laptops. The modules, in the order a request meets them:

- :mod:`~loyalty_lessons.workshop.server`: the Voilà server and its command line
  (:func:`serve`, :func:`main`, :func:`workshop_folder`, :func:`voila_command`), and
  :mod:`~loyalty_lessons.workshop.pool`: a shared room's pools of pre-started kernels;
- :mod:`~loyalty_lessons.workshop.roles`: the facilitator or a participant;
- :mod:`~loyalty_lessons.workshop.folder`: the server's data folder every page's kernel shares;
- :mod:`~loyalty_lessons.workshop.texts`: the page's language (``?lang=fr``, or the server's
  ``--language``) and its words, from the ``[workshop]`` sections of the message catalogues;
- :mod:`~loyalty_lessons.workshop.navigation`: the pages' notebooks and the links between them;
- :mod:`~loyalty_lessons.workshop.pages`: the subject pages and the index page
  (:func:`subject_page`, :func:`index_page`, :func:`subject_explorers`);
- :mod:`~loyalty_lessons.workshop.upload` and :mod:`~loyalty_lessons.workshop.wording`: the
  facilitator's upload form (:class:`UploadPanel`) and its messages in the page's terms;
- :mod:`~loyalty_lessons.workshop.room` and :mod:`~loyalty_lessons.workshop.votes`: the
  scorecard page (:func:`scorecard_page`) and the room's ratings, stored in SQLite and charted
  live;
- :mod:`~loyalty_lessons.workshop.store`: a client's uploads read by the package's loaders,
  and the active dataset every page reads (:func:`read_upload`, :func:`load_client_data`,
  :func:`save_dataset`, :func:`active_dataset`).

Every piece but the server runs without a browser, so tests reach them directly.

The names are imported on first use (PEP 562): ``from loyalty_lessons.workshop import
scorecard_page``, a participant's scorecard kernel, imports the scorecard page's modules
only, not the subject pages, the server or the data store with their pandas, DuckDB, pyarrow
and matplotlib.
"""

from loyalty_lessons._lazy import lazy_exports

#: Module of the package -> the names importable from the package itself.
_EXPORTS = {
    "folder": ("FOLDER_ENV",),
    "pages": ("SUBJECTS", "index_page", "subject_explorers", "subject_page"),
    "room": ("scorecard_page",),
    "server": ("free_port", "main", "serve", "voila_command", "workshop_folder"),
    "store": (
        "SAMPLE_NAME",
        "ColumnsNotRecognised",
        "Dataset",
        "active_dataset",
        "clear_dataset",
        "load_client_data",
        "read_upload",
        "save_dataset",
    ),
    "upload": ("UploadPanel",),
    "votes": ("record_vote", "room_summary", "room_votes"),
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
