{#- Unions relations whose columns differ: every column of any relation, in first-seen order, null where a relation
    lacks it, strings widened to the largest size seen, plus a column naming the relation each row came from. -#}
{% macro union_relations(relations, column_override=none, include=[], exclude=[], source_column_name='_dbt_source_relation', where=none) -%}
    {{ return(adapter.dispatch('union_relations', 'introspect_utils')(relations, column_override, include, exclude, source_column_name, where)) }}
{%- endmacro %}

{% macro default__union_relations(relations, column_override, include, exclude, source_column_name, where) -%}
    {%- if include | length > 0 and exclude | length > 0 -%}
        {{ exceptions.raise_compiler_error('union_relations: give `include` or `exclude`, not both') }}
    {%- endif -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- if relations | length == 0 -%}
        {{ exceptions.raise_compiler_error('union_relations: no relations to union (did a pattern match nothing?)') }}
    {%- endif -%}
    {%- set overrides = column_override or {} -%}
    {%- set included = include | map('lower') | list -%}
    {%- set excluded = exclude | map('lower') | list -%}
    {%- set superset = {} -%}
    {%- set ordered = [] -%}
    {%- set columns_of = {} -%}
    {%- for relation in relations -%}
        {%- set existing = introspect_utils._existing_relation(relation, 'union_relations') -%}
        {%- set names = [] -%}
        {%- for col in adapter.get_columns_in_relation(existing)
                if (included | length == 0 or col.column | lower in included) and col.column | lower not in excluded -%}
            {%- set key = col.column | lower -%}
            {%- do names.append(key) -%}
            {%- if key not in superset -%}
                {%- do superset.update({key: col}) -%}
                {%- do ordered.append(key) -%}
            {%- else -%}
                {%- set seen = superset[key] -%}
                {%- if seen.is_string() and col.is_string() and col.string_size() > seen.string_size() -%}
                    {%- do superset.update({key: col}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if names | length == 0 -%}
            {{ exceptions.raise_compiler_error('union_relations: ' ~ relation ~ ' has no columns to union') }}
        {%- endif -%}
        {%- do columns_of.update({relation: names}) -%}
    {%- endfor -%}
    {%- for relation in relations %}
    (
        select
            cast({{ dbt.string_literal(relation) }} as {{ dbt.type_string() }}) as {{ adapter.quote(source_column_name) }},
            {%- for key in ordered %}
            {%- set col = superset[key] %}
            {%- set data_type = overrides.get(col.column, col.data_type) %}
            cast({{ adapter.quote(col.column) if key in columns_of[relation] else 'null' }} as {{ data_type }}) as {{ adapter.quote(col.column) }}
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ relation }}
        {%- if where %}
        where {{ where }}
        {%- endif %}
    )
    {%- if not loop.last %}

    union all
    {% endif -%}
    {%- endfor %}
{%- endmacro %}
