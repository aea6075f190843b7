"""Encryption of the patient library: scrypt, a wrapped data key, AES-256-GCM.

Scheme
------
- A random 256-bit **data key** encrypts every item (patient label and notes,
  session dates, notes and metrics, the session files themselves).
- The data key is stored only **wrapped** (encrypted with AES-256-GCM) under a
  **key-encryption key** derived from the passphrase with scrypt. The scrypt
  parameters and the random salt are stored beside it, so they can be raised
  later without breaking existing libraries. The passphrase is never stored;
  changing it re-wraps the data key only (no item is re-encrypted).
- Every encrypted item is ``nonce (12 bytes) || ciphertext || tag (16 bytes)``
  with a fresh random nonce, and **associated data** naming the library, the
  table, the row's identifier and the item's purpose: a blob copied to another
  row, another column or another library fails authentication instead of
  being read as something it is not.

Notes
-----
AES-GCM with random 96-bit nonces is safe for far more than the 2**32
encryptions per key NIST allows for (a library holds thousands of items).
A wrong passphrase gives a key under which the wrapped data key fails its
authentication tag: that is how a wrong passphrase is recognised, without
storing any verifier.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from dashboard.library.errors import BadValue, CorruptLibrary, StorageError, WrongPassphrase

__all__ = [
    "DEFAULT_KDF",
    "MIN_PASSPHRASE",
    "KdfParams",
    "aad",
    "derive_key",
    "new_data_key",
    "open_sealed",
    "seal",
    "unwrap_key",
    "wrap_key",
]

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
MIN_PASSPHRASE = 8


@dataclass(frozen=True)
class KdfParams:
    """scrypt parameters, stored in the library so they can change between versions.

    n, r, p
        scrypt's cost (a power of two), block size and parallelism. Memory use
        is ``128 * n * r`` bytes: 128 MiB for the default.
    salt
        16 random bytes, new for every library and every passphrase change.
    """

    n: int
    r: int
    p: int
    salt: bytes

    def as_dict(self) -> dict:
        return {"kdf": "scrypt", "n": self.n, "r": self.r, "p": self.p, "salt": self.salt.hex()}

    @classmethod
    def from_dict(cls, d: dict) -> KdfParams:
        try:
            if d.get("kdf") != "scrypt":
                raise ValueError(d.get("kdf"))
            n, r, p = int(d["n"]), int(d["r"]), int(d["p"])
            salt = bytes.fromhex(d["salt"])
        except (KeyError, TypeError, ValueError, AttributeError):
            raise CorruptLibrary(
                "The library's key settings are damaged.", "Restore the library file from a backup."
            ) from None
        if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or len(salt) < 8:
            raise CorruptLibrary(
                "The library's key settings are damaged.", "Restore the library file from a backup."
            )
        if 128 * n * r > MAX_KDF_MEMORY or n * r * p > MAX_KDF_WORK:
            # the settings are read before the passphrase can be checked: a damaged or
            # tampered file must not cost gigabytes of memory or minutes per unlock
            raise CorruptLibrary(
                "The library's key settings ask for more memory or time than PoseDash "
                f"allows ({128 * n * r / 2**20:,.0f} MiB, at most {MAX_KDF_MEMORY // 2**20} MiB): "
                "the file is damaged or was changed outside PoseDash.",
                "PoseDash did not try them. Restore the library file from a backup.",
            )
        return cls(n, r, p, salt)

    @classmethod
    def fresh(cls, n: int = 2**17, r: int = 8, p: int = 1) -> KdfParams:
        return cls(n, r, p, os.urandom(16))


#: scrypt N=2**17, r=8, p=1: about 0.25 s and 128 MiB on a 2020s laptop core,
#: which makes each guess of a stolen library's passphrase cost as much.
DEFAULT_KDF = (2**17, 8, 1)
#: The most a library file may ask of scrypt: twice the default's memory
#: (``128 * n * r`` bytes) and four times its work (``n * r * p``).
MAX_KDF_MEMORY = 2 * 128 * 2**17 * 8
MAX_KDF_WORK = 4 * 2**17 * 8


def check_passphrase(passphrase: str) -> bytes:
    """The passphrase as UTF-8 bytes; refuses an empty or too short one (spaces and
    other blank characters do not count: eight spaces are no passphrase)."""
    visible = "".join(passphrase.split()) if isinstance(passphrase, str) else ""
    if len(visible) < MIN_PASSPHRASE or not passphrase.isprintable():
        raise BadValue(
            f"The passphrase must hold at least {MIN_PASSPHRASE} characters other than "
            "spaces, and no line breaks or control characters.",
            "A few unrelated words are easy to remember and hard to guess.",
        )
    return passphrase.encode("utf-8", "surrogateescape")


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """The key-encryption key for ``passphrase`` (32 bytes)."""
    if not passphrase:
        raise WrongPassphrase()
    kdf = Scrypt(salt=params.salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
    try:
        return kdf.derive(passphrase.encode("utf-8", "surrogateescape"))
    except MemoryError:
        raise StorageError(
            f"This computer has not the {128 * params.n * params.r / 2**20:,.0f} MiB of free "
            "memory the patient library's key needs.",
            "Close other programs and try again. Nothing was changed.",
        ) from None


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def aad(*parts: str) -> bytes:
    """Associated data from its parts: ``posedash-library|part|part...``."""
    return "|".join(("posedash-library", *tuple(str(p) for p in parts))).encode("utf-8")


def seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    """``nonce || AES-256-GCM(key, plaintext, associated)``."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, bytes(plaintext), associated)


def open_sealed(key: bytes, blob: bytes, associated: bytes) -> bytes:
    """The plaintext of :func:`seal`; raises InvalidTag when key, blob or
    associated data do not match."""
    blob = bytes(blob or b"")
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise InvalidTag()
    return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated)


def wrap_key(kek: bytes, data_key: bytes, associated: bytes) -> bytes:
    return seal(kek, data_key, associated)


def unwrap_key(kek: bytes, wrapped: bytes, associated: bytes) -> bytes:
    """The data key; raises :class:`WrongPassphrase` when ``kek`` does not open it."""
    try:
        key = open_sealed(kek, wrapped, associated)
    except InvalidTag:
        raise WrongPassphrase() from None
    if len(key) != KEY_BYTES:
        raise CorruptLibrary(
            "The library's key is damaged.", "Restore the library file from a backup."
        )
    return key
