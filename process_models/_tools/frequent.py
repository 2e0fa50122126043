"""The procedures people use most (issue 25, item 10), in the order build.py writes them."""

from __future__ import annotations

import frequent_identity
import frequent_residence
import frequent_transport

PROCEDURES = [
    frequent_residence.dang_ky_tam_tru,
    frequent_residence.khai_bao_tam_vang,
    frequent_residence.xac_nhan_thong_tin_cu_tru,
    frequent_identity.cap_the_can_cuoc,
    frequent_identity.cap_doi_the_can_cuoc,
    frequent_identity.cap_lai_the_can_cuoc,
    frequent_identity.xac_nhan_so_cmnd,
    frequent_transport.dang_ky_xe_mo_to,
    frequent_transport.nop_phat_vi_pham_giao_thong,
    frequent_transport.dang_ky_khai_thac_tuyen,
]
