import time, pytest, cProfile, pstats
from shikhon.places.importing import school_import
from shikhon.places.models import Upazila
from shikhon.places.tests.files import csv_bytes, national_rows

@pytest.mark.django_db
def test_upd():
    codes = sorted(Upazila.objects.values_list("code", flat=True))
    n = 20000
    school_import(rows_source=csv_bytes(national_rows(n, codes)), file_name="n.csv")
    data = csv_bytes(national_rows(n, codes, suffix=" (নতুন)"))
    pr = cProfile.Profile(); pr.enable()
    t = time.perf_counter()
    r = school_import(rows_source=data, file_name="n.csv")
    print("total", time.perf_counter() - t, r.updated)
    pr.disable()
    pstats.Stats(pr).sort_stats("tottime").print_stats(8)
