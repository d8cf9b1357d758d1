using System.Text.Json.Nodes;
using GitOps.Core.Ports;
using Moq;

namespace GitOps.Arm.Tests;

public class ArmResourceClientMockingTests
{
    [Fact]
    public async Task Client_Can_Be_Mocked_Through_Its_Protected_Constructor()
    {
        var mock = new Mock<ArmResourceClient>();
        mock.Setup(c => c.GetAsync("/subscriptions/s/resourceGroups/rg", "2021-04-01", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ArmResource("/subscriptions/s/resourceGroups/rg", new JsonObject { ["location"] = "westeurope" }));

        IArmResourceClient port = mock.Object;
        ArmResource? resource = await port.GetAsync("/subscriptions/s/resourceGroups/rg", "2021-04-01");

        Assert.Equal("westeurope", resource!.Body["location"]!.GetValue<string>());
        mock.Verify(c => c.GetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }
}
