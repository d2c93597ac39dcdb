#!/usr/bin/env python3
"""Parses an email with Python's own email package (an independent check of mfad's MIME) and
prints what a mail client would see, as JSON: decoded headers, and each part's type, charset,
transfer encoding and decoded text, plus the longest raw line.

usage: parse_email.py FILE.eml
"""
import json
import sys
from email import policy
from email.parser import BytesParser


def main():
    raw = open(sys.argv[1], "rb").read()
    message = BytesParser(policy=policy.default).parsebytes(raw)
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "text": part.get_content(),
        })
    lines = raw.split(b"\r\n")
    print(json.dumps({
        "from": str(message["From"]),
        "from_display_name": message["From"].addresses[0].display_name,
        "from_address": message["From"].addresses[0].addr_spec,
        "to": str(message["To"]),
        "subject": str(message["Subject"]),
        "date": str(message["Date"]),
        "date_unix": int(message["Date"].datetime.timestamp()),
        "message_id": str(message["Message-ID"]),
        "mime_version": str(message["MIME-Version"]),
        "content_type": message.get_content_type(),
        "defects": [str(d) for d in message.defects] + [str(d) for p in message.walk() for d in p.defects],
        "parts": parts,
        "longest_line": max(len(line) for line in lines),
        "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
    }))


if __name__ == "__main__":
    sys.exit(main())
