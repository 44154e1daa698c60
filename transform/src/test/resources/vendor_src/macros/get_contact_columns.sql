{% macro get_contact_columns() %}
{% set columns = [
    {"name": "contact_id", "datatype": dbt.type_int()},
    {"name": "email", "datatype": dbt.type_string()},
    {"name": "owner_id", "datatype": dbt.type_int()},
    {"name": "is_deleted", "datatype": "boolean"}
] %}
{{ return(columns) }}
{% endmacro %}
