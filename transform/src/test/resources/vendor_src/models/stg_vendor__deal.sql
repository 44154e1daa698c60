{{ config(enabled=var('vendor_sales_enabled', True)) }}
select deal_id, amount from {{ var('vendor_deal') }}
