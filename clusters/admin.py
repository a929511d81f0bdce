from django.contrib import admin

from clusters.models import Cluster, IndustryCode, Park, Region, RoleGrant


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(IndustryCode)
class IndustryCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "section", "parent"]
    list_filter = ["level", "section"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "leading_industry", "list_year"]
    list_filter = ["list_year", "list_name"]
    search_fields = ["name", "leading_industry", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "industry_codes"]


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "type", "region", "approved"]
    list_filter = ["level", "type"]
    search_fields = ["name", "leading_industries", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "industry_codes", "clusters"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "park", "region", "granted_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "user__name", "park__name", "region__name"]
    list_select_related = ["user", "park", "region"]
    autocomplete_fields = ["user", "park", "region"]
