#pragma once
/// \file marching_cubes_table.hpp
/// \brief Triangle lookup for the first 128 marching-cubes configurations.
///
/// Data derived from the standard marching-cubes case table (Lorensen & Cline 1987, as tabulated by
/// P. Bourke, "Polygonising a scalar field", 1994), rows 0..127. Each row lists edge numbers (hex digits)
/// in triples, one triangle per triple. Corner c of the cube is bit c of the case index; corners in
/// (a0, a1, a2) index order are 0 (0,0,0), 1 (0,0,1), 2 (0,1,1), 3 (0,1,0), 4 (1,0,0), 5 (1,0,1),
/// 6 (1,1,1), 7 (1,1,0); edges 0-3 join corners 0-1, 1-2, 2-3, 3-0; 4-7 join 4-5, 5-6, 6-7, 7-4;
/// 8-11 join 0-4, 1-5, 2-6, 3-7. Cases 128..255 use the row of their complement with reversed
/// orientation (PyRadiomics' shape C extension does the same).

#include <array>

namespace radiogenomics::features::detail {

inline constexpr std::array<const char*, 128> marching_cubes_triangles{
    "", "083", "019", "183981", "12a", "08312a", "92a029", "2832a8a98",
    "3b2", "0b28b0", "19023b", "1b219b98b", "3a1ba3", "0a108a8ba", "3903b9ba9", "98aa8b",
    "478", "430734", "019847", "419471731", "12a847", "34730412a", "92a902847", "2a9297273794",
    "8473b2", "b47b24204", "90184723b", "47b94b9b2921", "3a13ba784", "1ba14b1047b4", "47890b9bab03", "47b4b99ba",
    "954", "954083", "054150", "854835315", "12a954", "30812a495", "52a542402", "2a5325354348",
    "95423b", "0b208b495", "05401523b", "21525828b485", "a3ba13954", "4950818a18ba", "54050b5bab03", "54858aa8b",
    "978579", "930953573", "078017157", "153357", "978957a12", "a12950530573", "802825857a52", "2a5253357",
    "7957893b2", "95797292027b", "23b018178157", "b21b17715", "958857a13a3b", "5705097b010aba0", "ba0b03a50807570", "ba57b5",
    "a65", "0835a6", "9015a6", "1831985a6", "165261", "165126308", "965906026", "598582526328",
    "23ba65", "b08b20a65", "01923b5a6", "5a61929b298b", "63b653513", "08b0b50515b6", "3b6036065059", "65969bb98",
    "5a6478", "43047365a", "1905a6847", "a65197173794", "612651478", "125526304347", "847905065026", "739794329596269",
    "3b2784a65", "5a647242027b", "01947823b5a6", "9219b294b7b45a6", "8473b53515b6", "51b5b610b7b404b", "059065036b63847", "65969b4797b9",
    "a4964a", "4a649a083", "a01a60640", "83181686461a", "149124264", "308129249264", "024426", "832824426",
    "a49a64b23", "08228b49a4a6", "3b201606461a", "64161a48121b8b1", "964936913b63", "8b1810b61914641", "3b6360064", "648b68",
    "7a678a89a", "0730a709a67a", "a671a7178180", "a67a71173", "126168189867", "269291679093739", "780706602", "732672",
    "23ba68a89867", "20727b09767a9a7", "1801781a767a23b", "b21b17a61671", "896867916b63136", "091b67", "7807063b0b60", "7b6"};

}  // namespace radiogenomics::features::detail
