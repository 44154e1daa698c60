-- string literals as DuckDB and PostgreSQL read them (a doubled quote is a quote): Spark is told the same; don't worry
select id, label,
  'it''s' as doubled,
  '{{ escape_single_quotes("they're") }}' as escaped,
  label = 'O''Brien''s' as is_obrien,
  '' as empty
from {{ ref('labels') }}
