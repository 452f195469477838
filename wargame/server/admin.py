"""Django admin registrations (read-only views of the log)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from wargame.server.models import EventRecord, Exercise, Seat
from wargame.server.seats import revoke_rows


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "scenario_id", "last_seq", "created_at")


@admin.action(description="Revoke the selected seats and close their sockets")
def revoke_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    count = revoke_rows(queryset)
    modeladmin.message_user(request, f"Revoked {count} seat(s); their open sockets are closed.")


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ("id", "exercise", "role", "nation", "member", "label", "revoked", "created_at")
    list_filter = ("role", "revoked")
    search_fields = ("member", "label", "exercise__id")
    exclude = ("token_hash",)
    readonly_fields = ("revoked", "member")  # names in the log stay those of the links
    actions = [revoke_selected]


@admin.register(EventRecord)
class EventRecordAdmin(admin.ModelAdmin):
    list_display = ("exercise", "seq", "type", "move", "actor", "member")
    list_filter = ("type",)

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
