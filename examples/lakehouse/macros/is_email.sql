{#- Whether an expression looks like an email address (something@domain.tld, no spaces): DuckDB and PostgreSQL
    spell regular-expression matching differently from Spark, as dbt projects handle it, by target type. -#}
{% macro tributary_is_email(expression) %}{% if target.type == 'spark' %}({{ expression }} rlike '^[^@ ]+@[^@ ]+[.][^@ ]+$'){% elif target.type == 'postgres' %}({{ expression }} ~ '^[^@ ]+@[^@ ]+[.][^@ ]+$'){% else %}regexp_matches({{ expression }}, '^[^@ ]+@[^@ ]+[.][^@ ]+$'){% endif %}{% endmacro %}
