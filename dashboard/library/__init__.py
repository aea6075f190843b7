"""The patient library: an opt-in, encrypted, longitudinal record on this computer.

Nothing is stored until a user creates a library. Then one SQLite file in the
per-user data folder (:mod:`dashboard.library.paths`) holds patients and their
sessions, every describing byte encrypted (:mod:`dashboard.library.crypto`).
Entry point: :class:`dashboard.library.service.Library`.

Modules: ``crypto`` (keys and AES-GCM), ``store`` and ``migrations`` (the
SQLite file), ``records`` (plain data), ``service`` (the Library),
``sessions`` and ``export`` (its session and export methods), ``metrics``
(values for progress charts), ``chart`` (the progress chart), ``errors``.
"""
