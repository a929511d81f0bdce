from rest_framework import serializers

from clusters.models import Cluster, IndustryCode, Park, Region


class RegionSerializer(serializers.ModelSerializer):
    # The province has no parent: null, as the schema says.
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent", "latitude", "longitude"]


class IndustryCodeSerializer(serializers.ModelSerializer):
    # A section (门类) has no parent: null, as the schema says.
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = IndustryCode
        fields = ["code", "name", "level", "section", "parent", "description"]


class IndustryCodeTreeSerializer(serializers.ModelSerializer):
    children = serializers.SerializerMethodField()

    class Meta:
        model = IndustryCode
        fields = ["code", "name", "level", "children"]

    def get_children(self, obj) -> list[dict]:
        children = self.context["children"].get(obj.code, [])
        return IndustryCodeTreeSerializer(children, many=True, context=self.context).data


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class ClusterSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True)
    industry_codes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Cluster
        fields = [
            "id",
            "name",
            "region",
            "leading_industry",
            "industry_codes",
            "list_name",
            "list_year",
            "description",
            "source",
        ]


class ParkSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True)
    industry_codes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    clusters = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Park
        fields = [
            "id",
            "name",
            "level",
            "type",
            "region",
            "approved_area_ha",
            "approved",
            "leading_industries",
            "industry_codes",
            "clusters",
            "latitude",
            "longitude",
            "notes",
            "source",
        ]
