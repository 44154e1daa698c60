{{ config(enabled=var('vendor_marketing_enabled', True) and var('vendor_contact_enabled', True)) }}
select * from {{ var('vendor_contact') }}
