select
    (select count(*) from {{ ref('stg_vendor__contact') }}) as contacts,
    (select count(email) from {{ ref('stg_vendor__contact') }}) as contacts_with_email,
    (select count(*) from {{ ref('stg_vendor__deal') }}) as deals,
    (select count(*) from information_schema.tables
      where table_catalog = '{{ target.database }}' and table_schema = '{{ target.schema }}' and table_name like 'vendor\_%\_data' escape '\') as source_tables,
    '{{ this.database }}' as this_database,
    '{{ target.database }}' as target_database
