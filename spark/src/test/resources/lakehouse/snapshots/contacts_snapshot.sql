{% snapshot contacts_snapshot %}
{{ config(target_schema='snapshots', unique_key='contact_id', strategy='timestamp', updated_at='updated_at') }}
select * from {{ ref('contacts') }}
{% endsnapshot %}
