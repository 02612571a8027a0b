"""An image's size and thumbnail (Pillow, in a worker thread: decoding is CPU work)."""

from __future__ import annotations

import asyncio
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from switchboard.chat.attachments.domain.files import thumbnail_size

__all__ = ["MAX_PIXELS", "Measured", "UnreadableImage", "measure_and_thumbnail"]

# Refused before decoding: a small file can claim a huge canvas (a decompression bomb).
MAX_PIXELS = 50_000_000


class UnreadableImage(ValueError):
    """The content has an image's signature but does not decode."""


@dataclass(frozen=True)
class Measured:
    width: int
    height: int
    thumbnail: Path
    thumbnail_type: str


async def measure_and_thumbnail(source: Path, directory: Path) -> Measured:
    return await asyncio.to_thread(_measure_and_thumbnail, source, directory)


def _measure_and_thumbnail(source: Path, directory: Path) -> Measured:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise UnreadableImage(f"an image of more than {MAX_PIXELS} pixels")
                image = ImageOps.exif_transpose(opened)
                width, height = image.size
                image.thumbnail(thumbnail_size(width, height), Image.Resampling.LANCZOS)
                return _saved(image, width, height, directory)
    except UnreadableImage:
        raise
    except (
        OSError,
        ValueError,
        SyntaxError,
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise UnreadableImage(str(exc)) from exc


def _saved(image: Image.Image, width: int, height: int, directory: Path) -> Measured:
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if transparent:
        path, kind, fmt = directory / "thumbnail.png", "image/png", "PNG"
        image = image.convert("RGBA")
    else:
        path, kind, fmt = directory / "thumbnail.jpg", "image/jpeg", "JPEG"
        image = image.convert("RGB")
    image.save(path, fmt, **({"quality": 82} if fmt == "JPEG" else {}))
    return Measured(width=width, height=height, thumbnail=path, thumbnail_type=kind)
