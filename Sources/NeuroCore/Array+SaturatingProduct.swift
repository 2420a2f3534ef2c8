extension Array where Element == Int {
    /// The product of the elements, `Int.max` when it overflows (shapes declared by damaged headers),
    /// 0 when any element is 0 or negative.
    public var saturatingProduct: Int {
        var product = 1
        for n in self {
            guard n > 0 else { return 0 }
            let (p, overflow) = product.multipliedReportingOverflow(by: n)
            if overflow { return Int.max }
            product = p
        }
        return product
    }
}
