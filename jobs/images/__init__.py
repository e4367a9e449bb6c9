"""The pieces of the image processor that other code may reuse (the preview, the catalog, tests).

Every image goes through :func:`jobs.images.probe.open_image`: it sniffs the real format from the content,
restricts Pillow to the formats Parqueue reads, and refuses decompression bombs from the header, before a
single pixel is decoded. Nothing here imports Qt.
"""
