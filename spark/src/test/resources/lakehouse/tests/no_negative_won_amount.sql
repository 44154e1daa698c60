-- warns: one won deal has a negative amount
{{ config(severity='warn') }}
select * from {{ ref('deals') }} where stage = 'won' and amount < 0
