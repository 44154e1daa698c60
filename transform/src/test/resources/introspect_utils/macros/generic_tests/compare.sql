{#- Fails with the rows that are in one relation and not in the other (each way), over the compared columns: the
    given ones, else all of the model's columns except exclude_columns. -#}
{% test equality(model, compare_model, compare_columns=none, exclude_columns=none) %}
    {{ return(adapter.dispatch('test_equality', 'introspect_utils')(model, compare_model, compare_columns, exclude_columns)) }}
{% endtest %}

{% macro default__test_equality(model, compare_model, compare_columns, exclude_columns) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- if compare_columns and exclude_columns -%}
        {{ exceptions.raise_compiler_error('equality: give compare_columns or exclude_columns, not both') }}
    {%- endif -%}
    {%- if compare_columns is none or compare_columns | length == 0 -%}
        {%- set columns = introspect_utils.get_filtered_columns_in_relation(introspect_utils._existing_relation(compare_model, 'equality'), exclude_columns or []) -%}
        {%- set compare_columns = [] -%}
        {%- for c in columns -%}{%- do compare_columns.append(adapter.quote(c)) -%}{%- endfor -%}
    {%- endif -%}
    {%- if compare_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error('equality: no columns to compare between ' ~ model ~ ' and ' ~ compare_model) }}
    {%- endif -%}
    {%- set cols = compare_columns | join(', ') -%}
    with a as (select {{ cols }} from {{ model }}),
    b as (select {{ cols }} from {{ compare_model }}),
    a_minus_b as (select * from a {{ dbt.except() }} select * from b),
    b_minus_a as (select * from b {{ dbt.except() }} select * from a)
    select 'only in model' as which_diff, a_minus_b.* from a_minus_b
    union all
    select 'only in compare_model' as which_diff, b_minus_a.* from b_minus_a
{% endmacro %}

{#- The row counts of two relations, per group when group_by_columns are given. -#}
{% macro _row_counts_sql(model, compare_model, group_by_columns) %}
    {%- set groups = group_by_columns | join(', ') -%}
    {%- set join_on = [] -%}
    {%- for g in group_by_columns -%}{%- do join_on.append('a.' ~ g ~ ' = b.' ~ g) -%}{%- endfor -%}
    with a as (
        select {{ groups ~ ', ' if groups }}count(*) as count_a from {{ model }}{{ ' group by ' ~ groups if groups }}
    ),
    b as (
        select {{ groups ~ ', ' if groups }}count(*) as count_b from {{ compare_model }}{{ ' group by ' ~ groups if groups }}
    ),
    counts as (
        select coalesce(a.count_a, 0) as count_a, coalesce(b.count_b, 0) as count_b
        from a full outer join b on {{ join_on | join(' and ') if join_on else '1 = 1' }}
    )
{% endmacro %}

{#- Fails when the two relations (or any of their groups) have different row counts. -#}
{% test equal_rowcount(model, compare_model, group_by_columns=[]) %}
    {{ return(adapter.dispatch('test_equal_rowcount', 'introspect_utils')(model, compare_model, group_by_columns)) }}
{% endtest %}

{% macro default__test_equal_rowcount(model, compare_model, group_by_columns) %}
    {{ introspect_utils._row_counts_sql(model, compare_model, group_by_columns) }}
    select count_a, count_b, abs(count_a - count_b) as diff_count from counts where not count_a = count_b
{% endmacro %}

{#- Fails when the model has as many rows as compare_model or more. -#}
{% test fewer_rows_than(model, compare_model, group_by_columns=[]) %}
    {{ return(adapter.dispatch('test_fewer_rows_than', 'introspect_utils')(model, compare_model, group_by_columns)) }}
{% endtest %}

{% macro default__test_fewer_rows_than(model, compare_model, group_by_columns) %}
    {{ introspect_utils._row_counts_sql(model, compare_model, group_by_columns) }}
    select count_a, count_b from counts where count_a >= count_b
{% endmacro %}
