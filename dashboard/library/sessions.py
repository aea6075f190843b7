"""Sessions in the library: save, list, reopen, delete, and progress over time.

A mixin of :class:`~dashboard.library.service.Library` (it uses its key,
connections and sealing helpers). Each session row holds three encrypted
items, each bound by its associated data to the session, its patient and its
purpose: ``info`` (date, body region, notes, source file name...), ``data``
(the ``.posedash`` file, byte for byte) and ``metrics`` (what progress
charts draw, computed when the session is saved).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from dashboard.library import store
from dashboard.library.base import LibraryBase
from dashboard.library.errors import DamagedItem, NotFound
from dashboard.library.records import (
    ProgressPoint,
    SessionInfo,
    clean_date,
    clean_notes,
    short_id,
)

if TYPE_CHECKING:
    from dashboard.outputs.session import SessionFile

MAX_REGION = 80


def compute_metrics(data: bytes) -> tuple[SessionFile, dict]:
    """The session in ``data`` and its progress metrics (raises InputError if unreadable)."""
    from dashboard.library.functional_values import records_of
    from dashboard.library.metrics import session_metrics
    from dashboard.outputs.session import kinematics_settings, read_session

    opened = read_session(data)
    settings, _ = kinematics_settings(opened.angle_settings)
    return opened, session_metrics(opened.analysis, settings, records_of(opened))


def recording_fingerprint(opened) -> str:
    """What makes two saved sessions the same recording analysed the same way.

    Parameters
    ----------
    opened
        A :class:`~dashboard.outputs.session.SessionFile`.

    Returns
    -------
    str
        SHA-256 (hex) of the recording's content hash, its kind and frames
        analysed (stride), the detection settings, the model file's hash and
        the angle settings in use (the defaults when the file holds none);
        '' when the recording has no content hash (then no session is called
        a duplicate of it).

    Notes
    -----
    The file name, the session date, body region and notes are left out: the
    same video saved twice under two dates is the case this is for.
    """
    from dashboard.jsonsafe import to_jsonable
    from dashboard.outputs.session import kinematics_settings

    a = opened.analysis
    if not a.source_sha256:
        return ""
    angles, _ = kinematics_settings(opened.angle_settings)  # as used: none saved = defaults
    doc = {
        "source": a.source_sha256,
        "kind": a.kind,
        "stride": a.stride,
        "settings": a.settings,
        "model": (a.model or {}).get("sha256", ""),
        "angles": angles,
    }
    raw = json.dumps(to_jsonable(doc), sort_keys=True, default=str, allow_nan=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class SessionsMixin(LibraryBase):
    """Session methods of :class:`~dashboard.library.service.Library`."""

    def add_session(
        self,
        patient_uid: str,
        data: bytes,
        date=None,
        body_region: str = "",
        notes: str = "",
        metrics: dict | None = None,
        new_patient=None,
    ) -> SessionInfo:
        """Save a ``.posedash`` file's bytes to a patient.

        ``new_patient`` (from :meth:`~dashboard.library.service.Library.prepare_patient`,
        with ``patient_uid`` its uid) is added in the same transaction: an
        interrupted save leaves neither a session nor an empty patient.

        The file is checked first: a foreign or damaged file raises
        :class:`~dashboard.errors.InputError` and nothing is stored.
        ``date`` defaults to today. ``metrics`` (from
        :func:`dashboard.library.metrics.session_metrics` of the same session)
        saves computing them again.
        """
        from dashboard.outputs.session import read_session

        key = self._key()
        date, notes = clean_date(date), clean_notes(notes)
        region = " ".join(str(body_region or "").split())[:MAX_REGION]
        if metrics is None:
            opened, metrics = compute_metrics(bytes(data))
        else:
            opened = read_session(bytes(data))
        a = opened.analysis
        seq = a.poses
        info = SessionInfo(
            uid=uuid.uuid4().hex,
            patient_uid=patient_uid,
            date=date,
            body_region=region,
            notes=notes,
            source_name=a.source_name,
            source_sha256=a.source_sha256,
            kind=a.kind,
            frames=int(seq.num_frames),
            duration_s=float(seq.time_s[-1] - seq.time_s[0]) if seq.num_frames else 0.0,
            saved_utc=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            size_bytes=len(data),
            fingerprint=recording_fingerprint(opened),
        )
        key = self._key()
        parts = ("session", info.uid, patient_uid)
        row = (
            info.uid,
            patient_uid,
            self.seal_json(key, info.as_dict(), *parts, "info"),
            self.seal_bytes(key, bytes(data), *parts, "data"),
            self.seal_json(key, metrics, *parts, "metrics", compress=True),
        )
        with self._db() as conn, store.write(conn, self.path):
            if new_patient is not None:
                self._insert_patient(conn, key, new_patient)
            if not conn.execute("SELECT 1 FROM patients WHERE uid = ?", (patient_uid,)).fetchall():
                raise NotFound(
                    "This patient is no longer in the library.",
                    "Another window may have erased them; nothing was saved.",
                )
            conn.execute(
                "INSERT INTO sessions (uid, patient_uid, info, data, metrics) "
                "VALUES (?, ?, ?, ?, ?)",
                row,
            )
        return info

    def duplicates(self, patient_uid: str, data: bytes) -> list[SessionInfo]:
        """The patient's sessions holding the same recording analysed the same way
        as the ``.posedash`` file ``data`` (same :func:`recording_fingerprint`),
        oldest first: saving it again would add a copy to the progress charts.
        Raises InputError when ``data`` is not a session file."""
        from dashboard.outputs.session import read_session

        opened = read_session(bytes(data))
        mine = recording_fingerprint(opened)
        if not mine:
            return []
        out = []
        for s in self.sessions(patient_uid):
            if s.damaged or s.source_sha256 != opened.analysis.source_sha256:
                continue
            try:
                theirs = s.fingerprint or recording_fingerprint(self.open_session(s.uid))
            except DamagedItem:
                continue  # a damaged session file: listed by `library check`
            if theirs == mine:
                out.append(s)
        return out

    def sessions(self, patient_uid: str) -> list[SessionInfo]:
        """A patient's sessions, oldest first (by session date, then time saved).

        A session whose description cannot be decrypted is listed last, marked
        ``damaged`` (only its identifiers are known); its file may still open.
        """
        key = self._key()
        with self._db() as conn:
            rows = store.read_rows(
                conn,
                self.path,
                "sessions",
                ("uid", "info"),
                "WHERE patient_uid = ?",
                (patient_uid,),
            )
        out = [self._info_or_damaged(key, uid, patient_uid, blob) for uid, blob in rows]
        return sorted(out, key=lambda s: (s.damaged, s.date, s.saved_utc, s.uid))

    def _info_or_damaged(self, key: bytes, uid: str, patient_uid: str, blob) -> SessionInfo:
        try:
            return self._info(key, uid, patient_uid, blob)
        except DamagedItem:
            return SessionInfo(uid, patient_uid, "", damaged=True)

    def _damaged_session(self, key: bytes, uid: str, patient_uid: str, part: str) -> DamagedItem:
        """The error naming one damaged part of a session (its patient and date if
        they can be read)."""
        from dashboard.library.damage import session_message

        with self._db() as conn:
            prow = store.read_rows(
                conn, self.path, "patients", ("uid", "record"), "WHERE uid = ?", (patient_uid,)
            )
            srow = store.read_rows(
                conn, self.path, "sessions", ("uid", "info"), "WHERE uid = ?", (uid,)
            )
        ref = short_id(patient_uid)
        if prow:
            puid, record = prow[0]
            ref = self._patient_or_damaged(key, puid, record, 0).ref
        info = SessionInfo(uid, patient_uid, "", damaged=True)
        if srow:
            info = self._info_or_damaged(key, uid, patient_uid, srow[0][1])
        return DamagedItem(*session_message(ref, info, part))

    def _info(self, key: bytes, uid: str, patient_uid: str, blob: bytes) -> SessionInfo:
        d = self.open_json(key, blob, "session", uid, patient_uid, "info")
        known = SessionInfo.__dataclass_fields__
        d = {k: v for k, v in d.items() if k in known}
        d.update(uid=uid, patient_uid=patient_uid)
        return SessionInfo(**d)

    def session_bytes(self, session_uid: str) -> bytes:
        """The ``.posedash`` file of a session, byte for byte as saved."""
        key = self._key()
        with self._db() as conn:
            rows = store.read(
                conn,
                self.path,
                "SELECT patient_uid, data FROM sessions WHERE uid = ?",
                (session_uid,),
            )
        if not rows:
            raise NotFound(
                "This session is no longer in the library.", "Another window may have deleted it."
            )
        patient_uid, blob = rows[0]
        try:
            return self.open_bytes(key, blob, "session", session_uid, patient_uid, "data")
        except DamagedItem:
            raise self._damaged_session(key, session_uid, patient_uid, "data") from None

    def open_session(self, session_uid: str):
        """The :class:`~dashboard.outputs.session.SessionFile` of a saved session."""
        from dashboard.outputs.session import read_session

        return read_session(self.session_bytes(session_uid))

    def delete_session(self, session_uid: str) -> bool:
        """Delete one session, its bytes overwritten and the file compacted
        (see :meth:`~dashboard.library.service.Library.erase_patient`)."""
        self._key()
        with self._db() as conn:
            with store.write(conn, self.path):
                if conn.execute("DELETE FROM sessions WHERE uid = ?", (session_uid,)).rowcount == 0:
                    raise NotFound("This session is no longer in the library.")
            return store.compact(conn, self.path)

    # ------------------------------------------------------------------ progress
    def _all_metrics(self, patient_uid: str) -> list[tuple[SessionInfo, dict]]:
        """Each session's info and progress values, oldest first. Values missing
        (a library of version 1, or dropped by the version 3 migration) or of an
        older metrics version are read again from the session file and stored
        (:meth:`refresh_metrics`)."""
        from dashboard.library.metrics import METRICS_VERSION

        key = self._key()
        with self._db() as conn:
            rows = store.read_rows(
                conn,
                self.path,
                "sessions",
                ("uid", "info", "metrics"),
                "WHERE patient_uid = ?",
                (patient_uid,),
            )
        out = []
        for uid, info_blob, blob in rows:
            info = self._info_or_damaged(key, uid, patient_uid, info_blob)
            if info.damaged:
                continue  # no date to place it by: `library check` names it
            metrics = None if blob is None else self._metrics_or_again(key, uid, patient_uid, blob)
            if metrics is None or _version(metrics) < METRICS_VERSION:
                metrics = self._recompute(key, uid, patient_uid, blob is not None)
            if metrics is not None:
                out.append((info, metrics))
        return sorted(out, key=lambda x: (x[0].date, x[0].saved_utc, x[0].uid))

    def refresh_metrics(self, patient_uid: str | None = None) -> int:
        """Recompute and store the progress values of every session (of one patient,
        or all) whose stored values are missing or of an older metrics version;
        returns how many were recomputed. Called when the unlocked library first
        needs a patient's values; ``library check`` and the CLI may call it for all."""
        from dashboard.library.metrics import METRICS_VERSION

        key = self._key()
        where, args = ("WHERE patient_uid = ?", (patient_uid,)) if patient_uid else ("", ())
        with self._db() as conn:
            rows = store.read_rows(
                conn, self.path, "sessions", ("uid", "patient_uid", "metrics"), where, args
            )
        done = 0
        for uid, owner, blob in rows:
            doc = None if blob is None else self._metrics_or_again(key, uid, owner, blob)
            if doc is None or _version(doc) < METRICS_VERSION:
                self._recompute(key, uid, owner, blob is not None)
                done += 1
        return done

    def _metrics_or_again(self, key: bytes, uid: str, patient_uid: str, blob) -> dict | None:
        """A session's stored progress values; when they are damaged, the same
        values worked out again from its session file (in memory: nothing is
        written), or None when that file is damaged too."""
        try:
            return self.open_json(
                key, blob, "session", uid, patient_uid, "metrics", compressed=True
            )
        except DamagedItem:
            pass
        from dashboard.errors import InputError

        try:
            return compute_metrics(self.session_bytes(uid))[1]
        except (DamagedItem, InputError):
            return None

    def _recompute(self, key: bytes, uid: str, patient_uid: str, stored: bool) -> dict | None:
        """A session's progress values read again from its stored session file, and
        stored (over older ones); None when the file is damaged. A file that is not
        a session any more gets an empty set (nothing to chart)."""
        from dashboard.errors import InputError
        from dashboard.library.errors import LibraryError
        from dashboard.library.metrics import METRICS_VERSION

        try:
            _, metrics = compute_metrics(self.session_bytes(uid))
        except DamagedItem:
            return None
        except InputError:
            metrics = {
                "version": METRICS_VERSION,
                "person": None,
                "values": [],
                "gait": "unreadable",
            }
        blob = self.seal_json(key, metrics, "session", uid, patient_uid, "metrics", compress=True)
        try:
            with self._db() as conn, store.write(conn, self.path):
                conn.execute("UPDATE sessions SET metrics = ? WHERE uid = ?", (blob, uid))
        except LibraryError:
            if not stored:
                raise
        return metrics

    def metric_choices(self, patient_uid: str) -> list[dict[str, object]]:
        """The values found in a patient's sessions: ``key``, ``label``, ``unit``,
        ``group`` (the menu's), ``sessions`` (how many sessions have it) and
        ``valid``, ``caution``, ``withheld`` (how many sessions give it with that
        verdict), by group (:data:`dashboard.library.progress.GROUPS`), then most
        valid sessions first."""
        from dashboard.library.progress import GROUPS, group_of, level_of

        seen: dict[str, dict[str, Any]] = {}
        for _, metrics in self._all_metrics(patient_uid):
            for m in metrics.get("values", []):
                entry = seen.setdefault(
                    m["key"],
                    {
                        "key": m["key"],
                        "label": m["label"],
                        "unit": m["unit"],
                        "group": group_of(m["key"]),
                        "sessions": 0,
                        "valid": 0,
                        "caution": 0,
                        "withheld": 0,
                    },
                )
                entry["sessions"] = int(entry["sessions"]) + 1
                level = level_of(m)
                entry[level] = int(entry[level]) + 1
        names = [name for _, name in GROUPS]

        def order(e):
            rank = names.index(e["group"]) if e["group"] in names else len(names)
            return (rank, -int(e["valid"]), -int(e["sessions"]), str(e["label"]))

        return sorted(seen.values(), key=order)

    def default_metric(self, patient_uid: str) -> str | None:
        """The value a progress chart opens on (the rule:
        :func:`dashboard.library.progress.default_metric`): never a value that is
        only caution or withheld; None when no value is valid in any session."""
        from dashboard.library.progress import default_metric

        return default_metric([metrics for _, metrics in self._all_metrics(patient_uid)])

    def movement(self, patient_uid: str) -> str:
        """The movement most of the patient's sessions show (``movements.MOVEMENTS`` key)."""
        from dashboard.library.progress import movement_of

        return movement_of([metrics for _, metrics in self._all_metrics(patient_uid)])

    def norm_context(self, patient_uid: str, metric_key: str) -> tuple[int | None, str | None]:
        """(age, sex) given with the patient's newest run of a functional test that has an
        age (:func:`dashboard.library.functional_values.norm_context`), for its norm band."""
        from dashboard.library.functional_values import norm_context

        return norm_context([m for _, m in self._all_metrics(patient_uid)], metric_key)

    def progress(self, patient_uid: str, metric_key: str) -> list[ProgressPoint]:
        """One value across a patient's sessions, oldest first (sessions without it
        are left out; a withheld one is kept, with no number). Each point says
        whether its session compares with the first one charted (Compare's check)."""
        from dashboard.library.functional_values import protocol_reasons
        from dashboard.library.metrics import traits_from_doc
        from dashboard.library.progress import comparability_reasons, level_of

        parts = metric_key.split(":")
        space = parts[-1] if parts[-1] in ("world", "image") else "world"
        test = metric_key.startswith("test.")  # a test's own protocol, not the movement
        points, first, first_doc = [], None, None
        for info, metrics in self._all_metrics(patient_uid):
            m = _find(metrics, metric_key)
            if m is None:
                continue
            level = level_of(m)
            traits = None if test else traits_from_doc(metrics, space)
            if first_doc is None and level != "withheld":
                first, first_doc = traits, metrics
            if test:
                why = protocol_reasons(first_doc, metrics, metric_key)
            else:
                why = comparability_reasons(first, traits) if first is not traits else ()
            points.append(
                ProgressPoint(
                    info.uid,
                    info.date,
                    None if level == "withheld" else float(m["value"]),
                    m.get("confidence"),
                    m.get("coverage"),
                    info.source_name,
                    info.body_region,
                    validity=level,
                    reasons=tuple(m.get("reasons") or ()),
                    bias=str(m.get("bias") or ""),
                    comparable=not why,
                    comparable_reasons=tuple(why),
                )
            )
        return points


def _version(metrics: dict) -> int:
    try:
        return int(metrics.get("version", 1))
    except (TypeError, ValueError, AttributeError):
        return 1


def _find(metrics: dict, key: str) -> dict | None:
    for m in metrics.get("values", []):
        if m.get("key") == key:
            return m
    return None
