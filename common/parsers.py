"""Request parsers for the API (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]).

A module of its own: DRF imports the parser classes while it defines APIView, so this module
must not import rest_framework.views (common.api does).
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering 400 for bodies nested too deeply to parse.

    DRF turns only ValueError into a ParseError; a few kilobytes of `[[[[...` make the
    standard json module exceed Python's recursion limit (RecursionError), which would be a
    500. No real request of ours nests more than a few levels.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from None
