"""Tools of the performance benchmarks (the data generator is ``manage.py generate_data``)."""
