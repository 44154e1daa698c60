{#- Company names compared without what people vary when they type them: case, punctuation (dots and apostrophes
    dropped, so "S.A." is "sa"; any other run of non-letters is one space), surrounding and doubled spaces, and
    legal suffixes at the end ("Inc.", ", Inc", "GmbH", "Pty Ltd", "& Co." ...). "ACME, Inc" and "Acme Inc." are both
    "acme"; "Acme Pharma" stays "acme pharma" (no partial matches). Runs on DuckDB, PostgreSQL and Snowflake alike. -#}
{% macro company_name_key(column) -%}
trim(regexp_replace(
    trim(regexp_replace(regexp_replace(lower(trim({{ column }})), '[.'']', ''{{ every_match() }}), '[^a-z0-9]+', ' '{{ every_match() }})),
    '( (inc|incorporated|corp|corporation|co|company|llc|llp|ltd|limited|gmbh|ag|sa|sas|sarl|bv|nv|kk|pty|plc|ab|oy|srl|spa|and))+$', ''{{ every_match() }}))
{%- endmacro %}

{#- regexp_replace's last argument for replacing every match: the 'g' flag on DuckDB and PostgreSQL; nothing on
    Snowflake, which replaces every match by default (its fourth argument is a position, 'g' an error there). -#}
{% macro every_match() -%}
{%- if target.type != 'snowflake' %}, 'g'{% endif -%}
{%- endmacro %}

{#- An email compared as mail servers do in practice: trimmed, lower case; empty is null. -#}
{% macro email_key(column) -%}
nullif(lower(trim({{ column }})), '')
{%- endmacro %}

{#- The domain of a (normalised) email, or of a website: lower case, without a leading "www.". -#}
{% macro domain_key(column) -%}
nullif(regexp_replace(lower(trim({{ column }})), '^www[.]', ''{{ every_match() }}), '')
{%- endmacro %}
