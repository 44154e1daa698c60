{#- A HubSpot object table's live rows (not archived, merged into another or deleted), each with its version: 1 for
    the newest of its id. Bronze is merged on id already; silver de-duplicates anyway, as story 3 asks. -#}
{% macro latest_live_rows(relation) %}
    select r.*, row_number() over (partition by r.id order by r.updatedat desc, r._tributary_extracted_at desc) as version
    from {{ relation }} r
    where not coalesce(r.archived, false) and r.merged_into_id is null and r._tributary_deleted_at is null
{% endmacro %}
