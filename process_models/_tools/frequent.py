"""The procedures people use most (issue 25, item 10), in the order build.py writes them."""

from __future__ import annotations

import frequent_education
import frequent_finance
import frequent_identity
import frequent_land
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
    frequent_land.dang_ky_bien_dong_dat_dai,
    frequent_land.dang_ky_the_chap_dat,
    frequent_finance.dang_ky_thue_lan_dau,
    frequent_finance.thay_doi_thong_tin_dang_ky_thue,
    frequent_finance.gia_han_bhyt_ho_gia_dinh,
    frequent_finance.huong_tro_cap_that_nghiep,
    frequent_education.dang_ky_du_thi_tot_nghiep_thpt,
]
