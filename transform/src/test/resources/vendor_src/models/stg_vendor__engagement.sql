{{ config(enabled=var('vendor_engagement_enabled', True) and var('vendor_marketing_enabled', True)) }}
select engagement_id, contact_id from {{ var('vendor_engagement') }}
