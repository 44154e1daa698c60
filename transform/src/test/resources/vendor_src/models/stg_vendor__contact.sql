{{ config(enabled=var('vendor_marketing_enabled', True) and var('vendor_contact_enabled', True)) }}
{# as vendor packages do: the source's columns, found through adapter.get_relation on the rendered source attributes #}
{%- set src = source('vendor', 'contact') -%}
{%- set relation = adapter.get_relation(database=src.database, schema=src.schema, identifier=src.identifier) -%}
{%- set source_columns = adapter.get_columns_in_relation(relation) if relation is not none else [] -%}
with base as (
    select * from {{ ref('stg_vendor__contact_tmp') }}
), fields as (
    select
        {{ fill_staging_columns(source_columns, get_contact_columns()) }}
    from base
)
select contact_id, lower(email) as email, owner_id, coalesce(is_deleted, false) as is_deleted,
    '{{ src.database }}.{{ src.schema }}.{{ src.identifier }}' as source_relation
from fields
