"""The API's pagination (REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS). A module of its own: DRF
imports it while it loads its generic views, so it may import nothing that imports those."""

from rest_framework import pagination
from rest_framework.exceptions import NotFound


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's, except that `?page=` (empty) is no page, as the schema's `type: integer` says,
    rather than the first: it answers 404 like any other page that does not exist."""

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound(self.invalid_page_message.format(page_number="", message=""))
        return super().get_page_number(request, paginator)
