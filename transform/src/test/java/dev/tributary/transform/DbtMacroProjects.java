package dev.tributary.transform;

import java.nio.file.Path;

/** Test projects for dbt's macro features (return, dispatch, the dbt namespace, agate results), shared by DuckDB and PostgreSQL. */
final class DbtMacroProjects {
    private DbtMacroProjects() {}

    /** Macros returning a list, a dict, booleans, a nested call's value and an early return; a model using them as values. */
    static void returns(Path dir) {
        Fixtures.project(dir,
                "macros/values.sql", """
                        {% macro status_list() %}{{ return(['active', 'churned']) }}{% endmacro %}
                        {% macro settings() %}{% do return({'threshold': 10, 'label': 'big'}) %}{% endmacro %}
                        {% macro is_big(n) %}{{ return(n > 5) }}{% endmacro %}
                        {% macro status_count() %}{% set s = status_list() %}{{ return(s | length) }}{% endmacro %}
                        {% macro early(flag) %}
                          {% if flag %}{{ return('early') }}{% endif %}
                          {{ return('late') }}
                        {% endmacro %}
                        {% macro plain_text() %}text{% endmacro %}
                        """,
                "models/uses_values.sql", """
                        {% set statuses = status_list() %}
                        {% set cfg = settings() %}
                        select {{ statuses | length }} as n_status, '{{ statuses[1] }}' as second_status,
                          {{ cfg['threshold'] }} as threshold, '{{ cfg.label }}' as label,
                          {{ 'true' if is_big(7) else 'false' }} as big7, {{ 'true' if is_big(3) else 'false' }} as big3,
                          {{ status_count() + 1 }} as count_plus_one, '{{ early(true) }}' as e1, '{{ early(false) }}' as e2,
                          '{{ plain_text() }}' as plain
                          {% for s in status_list() %}, '{{ s }}' as s_{{ loop.index }}{% endfor %}
                        """);
    }

    /** Root and package macros dispatched by adapter, the root overriding a package's default__, and the dbt namespace. */
    static void dispatch(Path dir) {
        Fixtures.project(dir,
                "packages.yml", "packages:\n  - local: vendor/tools\n",
                "vendor/tools/dbt_project.yml", "name: tools\n",
                "vendor/tools/macros/tools.sql", """
                        {% macro shout(x) %}{{ return(adapter.dispatch('shout', 'tools')(x)) }}{% endmacro %}
                        {% macro default__shout(x) %}upper({{ x }}){% endmacro %}
                        {% macro greet(x, suffix='!') %}{{ return(adapter.dispatch('greet', macro_namespace='tools')(x, suffix=suffix)) }}{% endmacro %}
                        {% macro default__greet(x, suffix) %}'hello ' || {{ x }} || '{{ suffix }}'{% endmacro %}
                        {% macro duckdb__greet(x, suffix) %}'hello duck ' || {{ x }} || '{{ suffix }}'{% endmacro %}
                        {% macro postgres__greet(x, suffix) %}'hello pg ' || {{ x }} || '{{ suffix }}'{% endmacro %}
                        """,
                "macros/local.sql", """
                        {% macro warehouse_name() %}{{ return(adapter.dispatch('warehouse_name')()) }}{% endmacro %}
                        {% macro default__warehouse_name() %}'other'{% endmacro %}
                        {% macro duckdb__warehouse_name() %}'duck'{% endmacro %}
                        {% macro postgres__warehouse_name() %}'pg'{% endmacro %}
                        {# the root project's default__ wins over the package's, as dbt searches the root first #}
                        {% macro default__shout(x) %}lower({{ x }}){% endmacro %}
                        """,
                "models/dispatched.sql", """
                        select {{ warehouse_name() }} as wh, {{ tools.shout("'MiXed'") }} as shouted, {{ greet("'bo'", suffix='?') }} as greeting,
                          {{ tools.greet("'al'") }} as greeting2
                        """,
                "models/cross_db.sql", """
                        select
                          cast({{ dbt.dateadd('day', 3, "cast('2024-01-30' as date)") }} as date) as plus3,
                          cast({{ dateadd('month', -1, "cast('2024-03-31' as date)") }} as date) as minus_month,
                          {{ dbt.datediff("cast('2024-01-01' as date)", "cast('2024-03-15' as date)", 'day') }} as diff_days,
                          {{ dbt.datediff("cast('2024-01-31' as date)", "cast('2024-03-01' as date)", 'month') }} as diff_months,
                          {{ dbt.datediff("cast('2023-12-31' as date)", "cast('2025-01-01' as date)", 'year') }} as diff_years,
                          {{ dbt.safe_cast("'42'", dbt.type_int()) }} as casted,
                          {{ dbt.concat(["'a'", "'b'", "'c'"]) }} as abc,
                          {{ dbt.hash("'x'") }} as hashed,
                          {{ dbt.split_part("'a-b-c'", "'-'", 2) }} as part2,
                          cast({{ dbt.date_trunc('month', "cast('2024-02-17' as date)") }} as date) as month_start,
                          '{{ dbt.escape_single_quotes("it's") }}' as escaped,
                          {{ dbt.string_literal('lit') }} as lit,
                          {{ dbt.cast_bool_to_text('1 = 1') }} as bool_text,
                          {{ dbt.last_day("cast('2024-02-10' as date)", 'month') }} as last_of_feb,
                          {{ dbt.last_day("cast('2024-02-10' as date)", 'quarter') }} as last_of_q1,
                          {{ dbt.position("'c'", "'abc'") }} as pos,
                          {{ dbt.replace("'aXa'", "'X'", "'-'") }} as replaced,
                          {{ dbt.right("'abcdef'", 2) }} as right2,
                          {{ dbt.length("'abcd'") }} as len,
                          cast({{ dbt.current_timestamp() }} as date) = current_date as today_ok,
                          cast('x' as {{ dbt.type_string() }}) as s, cast(1.5 as {{ dbt.type_float() }}) as f,
                          cast(2 as {{ dbt.type_bigint() }}) as b, cast(1.25 as {{ dbt.type_numeric() }}) as num,
                          cast('2024-01-01 10:00:00' as {{ dbt.type_timestamp() }}) as ts, cast('true' as {{ dbt.type_boolean() }}) as bo,
                          ({{ dbt.array_construct([1, 2, 3]) }})[2] as second_element
                        """,
                "models/cross_db_agg.sql", """
                        with v as (select 1 as id, 'b' as name, true as flag union all select 2, 'a', false union all select 3, 'c', false)
                        select {{ dbt.listagg('name', "','", 'order by name') }} as names, {{ listagg('name', order_by_clause='order by id desc') }} as names_default,
                          {{ dbt.listagg('name', "'|'", 'order by id', 2) }} as first_two,
                          {{ dbt.any_value('id') }} between 1 and 3 as has_any, {{ dbt.bool_or('flag') }} as any_flag,
                          (select count(*) from (select id from v {{ dbt.except() }} select 2) e) as except_count,
                          (select count(*) from (select id from v {{ dbt.intersect() }} select 2) i) as intersect_count
                        from v
                        """);
    }

    /** Context objects: adapter, api.Relation.create, load_relation, modules.datetime, zip, tojson/fromjson, log, agate results. */
    static void contextObjects(Path dir) {
        Fixtures.project(dir,
                "seeds/people.csv", "id,name,team\n1,ann,red\n2,bob,blue\n3,cy,red\n",
                "macros/cols.sql", """
                        {% macro column_list(relation) %}
                          {% set names = [] %}
                          {% for c in adapter.get_columns_in_relation(relation) %}{% do names.append(c.name ~ ':' ~ (c.data_type | lower)) %}{% endfor %}
                          {{ return(names) }}
                        {% endmacro %}
                        {% macro team_counts() %}
                          {% set results = run_query('select team, count(*) as n from ' ~ ref('people') ~ ' group by team order by team') %}
                          {% if execute %}{% do results.print_table() %}{{ return(results) }}{% endif %}
                          {{ return(none) }}
                        {% endmacro %}
                        """,
                "models/context.sql", """
                        {% set rel = api.Relation.create(schema=this.schema, identifier='people') %}
                        {% set missing = load_relation(api.Relation.create(identifier='nope', schema=this.schema)) %}
                        {% set loaded = load_relation(rel) %}
                        {% set counts = team_counts() %}
                        {% set pairs = zip(['a', 'b'], [1, 2]) %}
                        {% set parsed = fromjson('{"k": [1, 2]}') %}
                        {% do log('building ' ~ this.identifier, info=True) %}
                        {% do exceptions.warn('just a warning') %}
                        select '{{ column_list(ref('people')) | join(',') }}' as cols,
                          '{{ rel.identifier }}' as rel_identifier, {{ 'true' if missing is none else 'false' }} as missing_is_none,
                          {{ 'true' if loaded is not none else 'false' }} as loaded_exists,
                          '{{ modules.datetime.datetime.now().strftime('%Y') }}' = cast(extract(year from current_date) as {{ dbt.type_string() }}) as year_ok,
                          '{{ target.type }}' as target_type, '{{ target.name }}' as target_name, '{{ target.schema }}' = '{{ this.schema }}' as schema_ok,
                          {% if execute %}
                          '{{ counts.column_names | join(',') }}' as column_names, {{ counts | length }} as n_rows, {{ counts.rows | length }} as n_rows2,
                          '{{ counts.rows[0]['team'] }}' as first_team, {{ counts.rows[0]['n'] }} as first_n, {{ counts.rows[1][1] }} as second_n,
                          {{ counts.rows[1].n }} as second_n_attr, '{{ counts.columns[0].values() | join('|') }}' as teams,
                          '{{ counts.columns[1].name }}' as second_column,
                          {% endif %}
                          '{% for p in pairs %}{{ p[0] }}{{ p[1] }}{% endfor %}' as zipped, {{ parsed['k'][1] }} as from_json,
                          '{{ tojson({'a': 1}) }}' as to_json, {{ adapter.quote('id') }} as quoted_ref
                        from (select 1 as "id") q
                        """);
    }
}
