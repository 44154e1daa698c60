{#- Fails for each combination of the columns that appears more than once. -#}
{% test unique_combination_of_columns(model, combination_of_columns, quote_columns=false) %}
    {{ return(adapter.dispatch('test_unique_combination_of_columns', 'dbt_utils')(model, combination_of_columns, quote_columns)) }}
{% endtest %}

{% macro default__test_unique_combination_of_columns(model, combination_of_columns, quote_columns) %}
    {%- set columns = [] -%}
    {%- for c in combination_of_columns -%}{%- do columns.append(adapter.quote(c) if quote_columns else c) -%}{%- endfor -%}
    {%- set columns_csv = columns | join(', ') -%}
    select {{ columns_csv }}, count(*) as occurrences
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1
{% endmacro %}

{#- Fails for each row where the expression (about column_name when given) is not true. -#}
{% test expression_is_true(model, expression, column_name=none) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'dbt_utils')(model, expression, column_name)) }}
{% endtest %}

{% macro default__test_expression_is_true(model, expression, column_name) %}
    select 1 as failing
    from {{ model }}
    {% if column_name is none %}where not ({{ expression }}){% else %}where not ({{ column_name }} {{ expression }}){% endif %}
{% endmacro %}

{#- Fails for each value outside [min_value, max_value] (bounds excluded when inclusive is false). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
    {{ return(adapter.dispatch('test_accepted_range', 'dbt_utils')(model, column_name, min_value, max_value, inclusive)) }}
{% endtest %}

{% macro default__test_accepted_range(model, column_name, min_value, max_value, inclusive) %}
    select *
    from {{ model }}
    where 1 = 2
    {%- if min_value is not none %} or not ({{ column_name }} >{{ '=' if inclusive }} {{ min_value }}){% endif %}
    {%- if max_value is not none %} or not ({{ column_name }} <{{ '=' if inclusive }} {{ max_value }}){% endif %}
{% endmacro %}
