"""Sending mail: through the configured SMTP server, or, with none configured (development,
tests), as .eml files in the instance folder's mail/."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from .config import Settings
from .files import private_directory


def send(messages: Sequence[EmailMessage], settings: Settings) -> int:
    if not messages:
        return 0
    if settings.smtp_host:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            for message in messages:
                smtp.send_message(message)
        return len(messages)
    folder = Path(settings.instance_path) / "mail"
    # The digests name holders: the folder is the server user's only.
    private_directory(folder)
    existing = len(list(folder.glob("*.eml")))
    for n, message in enumerate(messages, start=existing + 1):
        (folder / f"{n:05d}.eml").write_bytes(bytes(message))
    return len(messages)
