#!/usr/bin/env python3
"""Fetches the trace viewer the trace test opens in headless Chromium: speedscope (https://www.speedscope.app,
MIT licence) from the npm registry, a pinned version checked against the registry's sha512 integrity, unpacked
into .deps/speedscope/ (its dist/release/index.html runs from a file: URL). Idempotent."""
from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "1.25.0"
URL = f"https://registry.npmjs.org/speedscope/-/speedscope-{VERSION}.tgz"
INTEGRITY = "sha512-cpf9HWTZf1ijLXBJrk87Ve/54tnYx6rlf0gUThvn3ook6h63hLXVOQiMf44PT+XoV503cPfvfiT5gP5vojp6Ag=="
DEST = Path(__file__).resolve().parents[1] / ".deps" / "speedscope"


def main() -> int:
    stamp = DEST / "VERSION"
    if stamp.exists() and stamp.read_text().strip() == VERSION:
        return 0
    data = urllib.request.urlopen(URL, timeout=120).read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        print(f"fetch-trace-viewer: {URL}: integrity {digest}, expected {INTEGRITY}", file=sys.stderr)
        return 1
    DEST.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for m in tar.getmembers():  # package/dist/release/... -> DEST/dist/release/...
            if not m.isfile() or ".." in Path(m.name).parts:
                continue
            out = DEST / Path(*Path(m.name).parts[1:])
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(tar.extractfile(m).read())
    stamp.write_text(VERSION + "\n")
    print(f"fetch-trace-viewer: speedscope {VERSION} in {DEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
