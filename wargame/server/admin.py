"""Django admin: read-only views of exercises, the log and worker jobs; seats issued, reissued and
revoked through the same seat functions as `wargame seat issue|reissue|revoke`; operators' API
tokens listed and revoked (issued by `issue_operator_token`, which prints them once).

Nothing here edits what the log or the services own: ids, sequence numbers, hashes and event
data are read-only, and no row of them can be added or deleted from the admin. A seat cannot be
added as a bare row (its token is made and hashed by `issue_member_seat`): "Issue a join link"
does that and shows the link once.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from wargame.domain.audience import Role
from wargame.server.models import EventRecord, Exercise, Job, OperatorToken, Seat
from wargame.server.seats import IssuedSeat, SeatError, issue_member_seat, reissue_seat, revoke_rows

admin.site.site_header = admin.site.site_title = "Wargame administration"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows to look at, never to add, change or delete here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Exercise)
class ExerciseAdmin(ReadOnlyAdmin):
    """Exercises are made by `wargame exercise create` (their first event is in the log)."""

    list_display = ("id", "title", "scenario_id", "last_seq", "created_at")
    search_fields = ("id", "title", "scenario_id")


@admin.register(EventRecord)
class EventRecordAdmin(ReadOnlyAdmin):
    list_display = ("exercise", "seq", "type", "move", "actor", "member", "at")
    list_filter = ("type",)
    search_fields = ("exercise__id",)


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """The `wargame worker` queue: state, owner and lease, attempts."""

    list_display = (
        "id", "exercise", "key", "status", "owner", "lease_until", "attempts", "run_after",
        "created_at", "finished_at",
    )
    list_filter = ("status",)
    search_fields = ("exercise__id", "key", "owner")
    ordering = ("-id",)


class IssueSeatForm(forms.Form):
    """The arguments of `wargame seat issue`."""

    exercise = forms.ModelChoiceField(queryset=Exercise.objects.order_by("-created_at"))
    role = forms.ChoiceField(choices=[(r.value, r.value) for r in Role])
    nation = forms.CharField(required=False, max_length=16, help_text="The team's nation (player seats only)")
    member = forms.CharField(max_length=100, help_text="The member's name, as the log records it")


def _links(request: HttpRequest, admin_site: Any, title: str, issued: list[IssuedSeat]) -> HttpResponse:
    """A page with new join links: the only time they are shown (tokens are stored hashed)."""
    base = settings.WARGAME["PUBLIC_URL"]
    context = {
        **admin_site.each_context(request),
        "title": title,
        "opts": Seat._meta,
        "issued": [{"seat": s, "link": s.link(base)} for s in issued],
    }
    response = TemplateResponse(request, "admin/wargame/seat/issued.html", context)
    response["Cache-Control"] = "no-store"
    return response


@admin.action(description="Revoke the selected seats and close their sockets", permissions=["change"])
def revoke_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    count = revoke_rows(queryset)
    modeladmin.message_user(request, f"Revoked {count} seat(s); their open sockets are closed.")


@admin.action(description="Reissue the selected seats' links (old ones revoked)", permissions=["change"])
def reissue_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    issued: list[IssuedSeat] = []
    for row in queryset.order_by("id"):
        try:
            issued.append(reissue_seat(row.exercise_id, row.pk))
        except SeatError as exc:
            modeladmin.message_user(request, str(exc), level=messages.ERROR)
    if not issued:
        return None
    return _links(request, modeladmin.admin_site, "New join links", issued)


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ("id", "exercise", "role", "nation", "member", "label", "revoked", "created_at")
    list_filter = ("role", "revoked")
    search_fields = ("member", "label", "exercise__id")
    fields = ("exercise", "role", "nation", "member", "label", "revoked", "created_at")
    readonly_fields = fields  # names in the log stay those of the links; the token is never shown
    actions = [revoke_selected, reissue_selected]
    change_list_template = "admin/wargame/seat/change_list.html"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # "Issue a join link" (issue_view) instead of a bare row

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke: the seat stays on record

    def get_urls(self) -> list[URLPattern]:
        issue = path("issue/", self.admin_site.admin_view(self.issue_view), name="wargame_seat_issue")
        return [issue, *super().get_urls()]

    def issue_view(self, request: HttpRequest) -> HttpResponse:
        """`wargame seat issue` in the admin: the form, then the new link, shown once."""
        if not request.user.has_perm("wargame.add_seat"):
            raise PermissionDenied
        form = IssueSeatForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                exercise_id, nation = data["exercise"].id, data["nation"] or None
                issued = issue_member_seat(exercise_id, data["role"], nation, data["member"])
            except SeatError as exc:
                form.add_error(None, str(exc))
            else:
                return _links(request, self.admin_site, "Join link issued", [issued])
        context = {
            **self.admin_site.each_context(request),
            "title": "Issue a join link",
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/wargame/seat/issue.html", context)


@admin.action(description="Revoke the selected operator tokens", permissions=["change"])
def revoke_tokens(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    count = queryset.filter(revoked=False).update(revoked=True)
    modeladmin.message_user(request, f"Revoked {count} operator token(s).")


@admin.register(OperatorToken)
class OperatorTokenAdmin(admin.ModelAdmin):
    """Operators' API tokens: who, the first characters, when made and last used. The secret is
    never stored; `issue_operator_token` prints it once."""

    list_display = ("id", "user", "prefix", "revoked", "created_at", "last_used_at")
    list_filter = ("revoked",)
    search_fields = ("user__username", "prefix")
    fields = ("user", "prefix", "revoked", "created_at", "last_used_at")
    readonly_fields = fields
    actions = [revoke_tokens]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke: the token stays on record
