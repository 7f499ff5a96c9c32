"""QR codes as inline SVG (segno): the authenticator's setup key and a patient's join link.

Sized by their container (no width or height in the SVG), with a white quiet zone of four
modules and error correction M, which a phone reads off a screen with some glare.
"""

import io

import segno


def qr_svg(text: str, svgclass: str = "qr-code") -> str:
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        border=4,
        dark="#000",
        light="#fff",
        svgclass=svgclass,
        lineclass=None,
    )
    return out.getvalue().decode()
