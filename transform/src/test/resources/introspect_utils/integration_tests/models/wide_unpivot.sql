{{ introspect_utils.unpivot(ref('data_wide'), cast_to=dbt.type_int(), exclude=['id'], remove=['q3'], field_name='quarter', value_name='amount') }}
