select 9 as id, cast('Maximilian' as varchar(20)) as name
