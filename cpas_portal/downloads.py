"""How a stored document leaves the server: an attachment, its type fixed by what it was checked to be."""

from django.http import FileResponse


def document_response(document):
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)
    # The browser must not guess another type than the one checked at upload.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
